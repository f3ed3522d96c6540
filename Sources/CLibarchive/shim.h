// libarchive's declarations only: the library itself is opened with dlopen when an archive is read, so that the
// binary starts on a board without it.
#include <archive.h>
#include <archive_entry.h>
