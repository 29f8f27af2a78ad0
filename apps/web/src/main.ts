// The page: start a backend, load a model, draw digits on every Generate. Its settings live in the
// URL (a reload draws the same picture); the backend is fixed per page load, so picking another one
// reloads the page with it (one page, one tfjs backend, as one process has one in Node).
import { tf } from "@scm/backend";
import { browserBackendNames } from "@scm/backend/browser";
import { modelNames } from "@scm/models";
import { type DigitModel, droppedDigitModel, shippedDigitModel } from "./digit-model.js";
import { drawGrid } from "./draw-grid.js";
import { errorSentence } from "./error-sentence.js";
import { onModelFile } from "./file-drop.js";
import { formatParams, type PageParams, parseParams } from "./page-params.js";
import { type DigitGrid, type DigitRequest, sampleDigits } from "./sample-digits.js";
import { type PageBackend, startBackend } from "./start-backend.js";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>("controls");
const field = <T extends HTMLElement>(name: string) => form.elements.namedItem(name) as T;
const modelSelect = field<HTMLSelectElement>("model");
const digitSelect = field<HTMLSelectElement>("digit");
const stepsSelect = field<HTMLSelectElement>("steps");
const guidanceInput = field<HTMLInputElement>("guidance");
const seedInput = field<HTMLInputElement>("seed");
const batchSelect = field<HTMLSelectElement>("batch");
const backendSelect = field<HTMLSelectElement>("backend");
const button = byId<HTMLButtonElement>("generate");
const status = byId<HTMLParagraphElement>("status");
const backendLine = byId<HTMLParagraphElement>("backend");
const canvas = byId<HTMLCanvasElement>("grid");

function options(select: HTMLSelectElement, values: readonly string[], labels?: readonly string[]): void {
  select.replaceChildren(...values.map((value, i) => new Option(labels?.[i] ?? value, value)));
}

function say(state: "starting" | "busy" | "done" | "error", text: string): void {
  status.dataset["state"] = state;
  status.textContent = text;
}

function readForm(base: PageParams): PageParams {
  return parseParams(
    formatParams({
      ...base,
      model: modelSelect.value,
      digit: digitSelect.value === "random" ? "random" : Number(digitSelect.value),
      steps: stepsSelect.value === "2" ? 2 : 1,
      guidance: guidanceInput.closest("label")?.hidden ? undefined : Number(guidanceInput.value),
      seed: Number(seedInput.value),
      batch: batchSelect.value === "64" ? 64 : 16,
    }),
  );
}

function showModel(model: DigitModel, params: PageParams): void {
  const { meta } = model.loaded;
  const conditional = meta.network.numClasses > 0;
  digitSelect.disabled = !conditional;
  const guided = meta.network.guidanceEmbedding;
  byId("guidance-label").hidden = !guided;
  if (guided) {
    guidanceInput.max = String(meta.guidanceMax ?? 1);
    guidanceInput.value = String(params.guidance ?? meta.guidanceMax ?? 1);
  }
}

function describe(grid: DigitGrid, request: DigitRequest, model: DigitModel): string {
  const what =
    grid.labels === undefined
      ? "samples"
      : request.digit === "random"
        ? "samples of random digits"
        : `samples of the digit ${request.digit}`;
  const steps = request.steps === 1 ? "1 step" : `${request.steps} steps`;
  const guidance = grid.guidance === undefined ? "" : `, guidance ${grid.guidance}`;
  const note =
    model.loaded.meta.mode === "diffusion"
      ? ` Note: ${model.source} is a diffusion teacher; one consistency step from it is blurry.`
      : "";
  return `${request.n} ${what} from ${model.source} in ${steps}${guidance}, seed ${request.seed}.${note}`;
}

let params = parseParams(location.search);
let backend: PageBackend | undefined;
let model: DigitModel | undefined;
let busy: Promise<unknown> = Promise.resolve();

/** Samples one request on the loaded model and draws it (serialised: one at a time). */
function sample(request: DigitRequest): Promise<DigitGrid> {
  const run = busy.then(async () => {
    if (model === undefined || backend === undefined) throw new Error("The page has no model loaded.");
    const grid = await sampleDigits(model.loaded, request);
    drawGrid(canvas, grid.pixels, request.n > 16 ? 2 : 4);
    canvas.dataset["columns"] = String(grid.columns);
    status.dataset["ms"] = grid.msPerImage.toFixed(2);
    status.dataset["tensors"] = String(tf.memory().numTensors);
    backendLine.textContent = `Backend ${backend.description} · ${grid.msPerImage.toFixed(1)} ms per image (batch ${request.n}, ${request.steps} step${request.steps === 1 ? "" : "s"}).`;
    return grid;
  });
  busy = run.catch(() => undefined);
  return run;
}

async function generateFromForm(): Promise<void> {
  params = readForm(params);
  history.replaceState(null, "", formatParams(params) || location.pathname);
  const request: DigitRequest = { ...params, n: params.batch };
  button.disabled = true;
  say("busy", "Sampling…");
  try {
    const grid = await sample(request);
    say("done", describe(grid, request, model!));
  } catch (err) {
    say("error", errorSentence(err));
  } finally {
    button.disabled = model === undefined;
  }
}

async function useModel(load: () => Promise<DigitModel> | DigitModel): Promise<void> {
  button.disabled = true;
  say("busy", "Loading the model…");
  try {
    const next = await load();
    model?.loaded.dispose();
    model = next;
    showModel(next, params);
    await generateFromForm();
  } catch (err) {
    say("error", errorSentence(err));
    button.disabled = model === undefined;
  }
}

function setUpControls(): void {
  options(modelSelect, modelNames);
  modelSelect.value = params.model;
  options(digitSelect, ["random", ..."0123456789"]);
  digitSelect.value = String(params.digit);
  stepsSelect.value = String(params.steps);
  seedInput.value = String(params.seed);
  batchSelect.value = String(params.batch);
  options(backendSelect, ["auto", ...browserBackendNames]);
  backendSelect.value = params.backend;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void generateFromForm();
  });
  modelSelect.addEventListener("change", () => void useModel(() => shippedDigitModel(modelSelect.value)));
  backendSelect.addEventListener("change", () => {
    location.search = formatParams({
      ...readForm(params),
      backend: backendSelect.value as PageParams["backend"],
    });
  });
  onModelFile(byId("drop"), byId<HTMLInputElement>("file"), (name, bytes) => {
    if (backend === undefined) return;
    void useModel(() => {
      const dropped = droppedDigitModel(name, bytes);
      if (![...modelSelect.options].some((o) => o.value === name))
        modelSelect.add(new Option(`${name} (dropped)`, name));
      modelSelect.value = name;
      return dropped;
    });
  });
}

async function start(): Promise<void> {
  setUpControls();
  say("starting", "Starting the backend…");
  try {
    backend = await startBackend(params.backend);
  } catch (err) {
    say("error", errorSentence(err));
    return;
  }
  backendLine.textContent = `Backend ${backend.description}.`;
  backendLine.dataset["backend"] = backend.info.name;
  await useModel(() => shippedDigitModel(params.model));
}

/** For the browser test and the bench: sample a request on the loaded model, drawing it. */
(globalThis as { scmPage?: unknown }).scmPage = {
  sample: async (request: DigitRequest) => {
    const { msPerImage, columns } = await sample(request);
    return { msPerImage, columns, tensors: tf.memory().numTensors };
  },
};

void start();
