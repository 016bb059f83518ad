// Leptonica's umbrella header. Nothing is wrapped: Swift calls the C functions
// directly; this file exists because a module map needs a header of its own.
#include <leptonica/allheaders.h>
