// The document of `aishell query --json`, defined once in @aishell/engine.
export { resultsDocument as resultsJson, statementDocument as statementJson, toJson } from '@aishell/engine';
