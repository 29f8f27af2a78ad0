// The one BLAS include: OpenBLAS (or any CBLAS) on Linux, Accelerate on macOS.
#ifndef SCM_BLAS_H
#define SCM_BLAS_H

#if defined(__APPLE__)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#ifdef SCM_OPENBLAS
// Declared here too: a CBLAS header from another vendor (Debian alternatives) lacks them.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
#endif

#endif
