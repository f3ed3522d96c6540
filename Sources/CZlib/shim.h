// zlib's declarations only: the library is opened with dlopen when /proc/config.gz is read, so that the binary
// starts on a board without it.
#include <zlib.h>
