// Model files dropped on the page or chosen with the file input, as bytes.

/** Calls `onFile` with each model file dropped anywhere on the page or picked in `input`. */
export function onModelFile(
  zone: HTMLElement,
  input: HTMLInputElement,
  onFile: (name: string, bytes: Uint8Array) => void,
): void {
  const read = async (file: File) => onFile(file.name, new Uint8Array(await file.arrayBuffer()));
  document.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  document.addEventListener("dragleave", () => zone.classList.remove("over"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void read(file);
  });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file !== undefined) void read(file);
    input.value = "";
  });
}
