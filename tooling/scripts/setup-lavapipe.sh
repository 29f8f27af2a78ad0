#!/usr/bin/env bash
# Unpacks lavapipe (Mesa's Vulkan-on-CPU driver) from Debian 12's bookworm-backports (Mesa 25) into
# $SCM_LAVAPIPE_DIR (default ~/.cache/scm/lavapipe) and writes lvp_icd.json there, for
# VK_ICD_FILENAMES. Dawn rejects bookworm's own Mesa 22 lavapipe (it lacks
# shaderUniform*ArrayDynamicIndexing). Needs libvulkan1 and libllvm15 installed, and the backports
# suite in apt's sources (`deb http://deb.debian.org/debian bookworm-backports main`); run as root it
# adds both. packages/backend/README.md "webgpu" explains the rest.
set -euo pipefail
dir="${SCM_LAVAPIPE_DIR:-$HOME/.cache/scm/lavapipe}"
if [ "$(id -u)" = 0 ]; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
  fi
  apt-get update
  apt-get install -y --no-install-recommends libvulkan1 libllvm15 libdrm2 libxcb-dri3-0 libxcb-present0 \
    libxcb-randr0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libx11-xcb1 libxshmfence1 libwayland-client0 libzstd1 \
    libexpat1 zlib1g
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download mesa-vulkan-drivers/bookworm-backports)
rm -rf "$dir" && mkdir -p "$dir"
dpkg -x "$tmp"/mesa-vulkan-drivers_*.deb "$tmp/root"
lib="$(find "$tmp/root" -name libvulkan_lvp.so | head -n 1)"
cp "$lib" "$dir/libvulkan_lvp.so"
# The package's json names the library without a path (the loader would find the system's Mesa 22).
api="$(sed -n 's/.*"api_version": *"\([^"]*\)".*/\1/p' "$tmp"/root/usr/share/vulkan/icd.d/lvp_icd*.json | head -n 1)"
printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"%s"}}\n' \
  "$dir/libvulkan_lvp.so" "$api" > "$dir/lvp_icd.json"
echo "lavapipe $(dpkg-deb -f "$tmp"/mesa-vulkan-drivers_*.deb Version): VK_ICD_FILENAMES=$dir/lvp_icd.json"
