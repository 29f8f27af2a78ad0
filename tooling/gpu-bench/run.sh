# Runs on the GPU machine from the repository root with .gpu/ carried (README.md beside this file):
# the bench (agreement, forward / jvp / sCT step at batch 128 and 512, kernels), then a short MNIST
# sCT run with scm-train on webgpu (RUN_IMAGES images of RUN_BATCH, FID of RUN_FID_SAMPLES at the end).
# Output: $OUT/gpu-bench.log, $OUT/run. Tried on lavapipe with VK_DRIVER_FILES set to its ICD.
set -o pipefail
cd .gpu
xz -dc node.xz > /tmp/node && chmod +x /tmp/node
for f in debs/*.deb; do dpkg -x "$f" /tmp/vk; done # the Vulkan loader and glvnd, unpacked aside
xz -dk mnist-train.npy.xz
export LD_LIBRARY_PATH=/tmp/vk/usr/lib/x86_64-linux-gnu:/tmp/vk/lib/x86_64-linux-gnu:/usr/local/nvidia/lib64
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT/gpu-bench.log"
timeout "${BENCH_S:-300}" /tmp/node app/bin/bench.mjs 2>&1 | grep -v "^$" | tee -a "$OUT/gpu-bench.log"
images=${RUN_IMAGES:-102400}
batch=${RUN_BATCH:-512}
timeout "${RUN_S:-200}" /tmp/node app/bin/train.mjs --preset mnist --data mnist-train.npy --backend webgpu \
  --batch-size "$batch" --images "$images" --log-every 10 --sample-every 1000000 \
  --fid-every $((images / batch)) --fid-samples "${RUN_FID_SAMPLES:-1000}" --out "$OUT/run" 2>&1 |
  tr '\r' '\n' | grep -v "^$" | tail -n 12 | tee -a "$OUT/gpu-bench.log"
