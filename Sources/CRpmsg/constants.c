#include "CRpmsg.h"
