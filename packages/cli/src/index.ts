// @scm/cli: the command-line kit of the sCM-TS apps.
export { backendOption } from "./backend-option.js";
export { UsageError } from "./errors.js";
export { formatHelp } from "./help.js";
export {
  type BooleanOption,
  type ConfigOf,
  checkValue,
  flagOf,
  type NumberOption,
  type OptionSpec,
  type OptionTable,
  type StringOption,
} from "./options.js";
export { type CommonFlags, type ParsedFlags, parseFlags } from "./parse.js";
export {
  type ConfigLayer,
  commandLineLayers,
  configFileLayer,
  describeField,
  readConfigFile,
  resolveConfig,
} from "./resolve.js";
export { type CliMain, runCli, runMain } from "./run-main.js";
