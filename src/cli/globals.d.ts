/** The package version, put in by the build (tsup) and the test runner (vitest) from package.json. */
declare const __VERSION__: string;
