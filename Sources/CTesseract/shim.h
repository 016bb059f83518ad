// Tesseract's C API (capi.h). Swift cannot import the C++ API, so claimeye uses
// only these functions; nothing else is declared here.
#include <tesseract/capi.h>
