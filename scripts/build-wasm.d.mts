/** The kernels' module compiled from src/codec/wasm/kernels.wat, base64. */
export function compileKernels(): Promise<string>;
/** The text of src/codec/wasm/binary.ts for the given base64. */
export function binaryModule(base64: string): string;
