"""Writes small PyTorch-format checkpoints without PyTorch, following torch/serialization.py:
src/fixtures/state_dict_zip.pth (the zip format of torch >= 1.6) and state_dict_legacy.pth (the
legacy format of torch < 1.6, which pytorch-fid's Inception weights use). The pickles name the same
globals torch writes (torch.FloatStorage, torch._utils._rebuild_tensor_v2, collections.OrderedDict),
so the TypeScript reader is tested on the real layout. Run: python3 scripts/make_torch_fixtures.py
"""

import collections
import io
import pickle
import struct
import sys
import types
import zipfile

import numpy as np

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils
torch._utils = torch_utils


def storage_class(name):
    cls = type(name, (), {})
    cls.__module__ = "torch"
    setattr(torch, name, cls)
    return cls


FloatStorage = storage_class("FloatStorage")
DoubleStorage = storage_class("DoubleStorage")
HalfStorage = storage_class("HalfStorage")
LongStorage = storage_class("LongStorage")


def _rebuild_tensor_v2(*args):
    raise NotImplementedError


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, key, cls, values):
        self.key, self.cls, self.values = key, cls, values


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce__(self):
        return (_rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict()))


conv = Storage("0", FloatStorage, np.arange(10, dtype="<f4") * 0.5)  # 8 conv weights + 2 means
half = Storage("1", HalfStorage, np.array([1.0, -2.0, 0.333], dtype="<f2"))
double = Storage("2", DoubleStorage, np.array([1.0, 2.0, 3.0, 4.0], dtype="<f8"))
count = Storage("3", LongStorage, np.array([12345678901], dtype="<i8"))

state = collections.OrderedDict()
state["conv.weight"] = Tensor(conv, 0, (2, 1, 2, 2), (4, 4, 2, 1))  # OIHW, contiguous
state["bn.running_mean"] = Tensor(conv, 8, (2,), (1,))  # a view at offset 8 of the same storage
state["bn.num_batches_tracked"] = Tensor(count, 0, (), ())
state["half"] = Tensor(half, 0, (3,), (1,))
state["double.T"] = Tensor(double, 0, (2, 2), (1, 2))  # transposed: [[1, 3], [2, 4]]
storages = [conv, half, double, count]


class Pickler(pickle.Pickler):
    def __init__(self, f, legacy):
        super().__init__(f, protocol=2)
        self.legacy = legacy

    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            numel = len(obj.values)
            if self.legacy:
                return ("storage", obj.cls, obj.key, "cpu", numel, None)
            return ("storage", obj.cls, obj.key, "cpu", numel)
        return None


def dump(obj, legacy):
    f = io.BytesIO()
    Pickler(f, legacy).dump(obj)
    return f.getvalue()


with zipfile.ZipFile("src/fixtures/state_dict_zip.pth", "w", zipfile.ZIP_STORED) as z:
    z.writestr("state_dict_zip/data.pkl", dump(state, False))
    z.writestr("state_dict_zip/byteorder", "little")
    for s in storages:
        z.writestr(f"state_dict_zip/data/{s.key}", s.values.tobytes())
    z.writestr("state_dict_zip/version", "3\n")

with open("src/fixtures/state_dict_legacy.pth", "wb") as f:
    f.write(pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2))
    f.write(pickle.dumps(1001, protocol=2))
    sys_info = {"protocol_version": 1001, "little_endian": True, "type_sizes": {"short": 2, "int": 4, "long": 4}}
    f.write(pickle.dumps(sys_info, protocol=2))
    f.write(dump(state, True))
    keys = sorted(s.key for s in storages)
    f.write(pickle.dumps(keys, protocol=2))
    for key in keys:
        s = next(s for s in storages if s.key == key)
        f.write(struct.pack("<q", len(s.values)))
        f.write(s.values.tobytes())
print("wrote src/fixtures/state_dict_zip.pth and src/fixtures/state_dict_legacy.pth")
