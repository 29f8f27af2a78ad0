# Runs on the GPU machine from the repository root, with .gpu/ carried (README.md beside this file).
set -o pipefail
cd .gpu
xz -dc node.xz > /tmp/node && chmod +x /tmp/node
for f in debs/*.deb; do dpkg -x "$f" /tmp/vk; done # the Vulkan loader and glvnd, unpacked aside
export LD_LIBRARY_PATH=/tmp/vk/usr/lib/x86_64-linux-gnu:/tmp/vk/lib/x86_64-linux-gnu:/usr/local/nvidia/lib64
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
BATCHES=${BATCHES:-32,128,512} timeout "${T:-400}" /tmp/node probe.mjs 2>&1 |
  grep -v "^=\+$\|Hi, looks like\|^$" | tee -a "$OUT/probe.log"
