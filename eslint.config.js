// The page scripts are plain ES modules for the browser (no build step): every name they
// use must be defined, and every import used.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["asset_library/static/**/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.browser },
    rules: { "no-unused-vars": ["error", { args: "none" }] },
  },
];
