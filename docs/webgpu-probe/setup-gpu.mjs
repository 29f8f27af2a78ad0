// dawn.node's WebGPU as the browser globals tfjs-backend-webgpu looks for; must run before it loads.
import { create, globals } from "webgpu";

Object.assign(globalThis, globals);
globalThis.navigator = { gpu: create([]) };
