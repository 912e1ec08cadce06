#pragma once
// The version of the core, the CLI and the wasm module (one number for all three).
#define NUMEN_VERSION "0.1.0"
