// wsclient: the one header to include. A C++17 client for wsd (docs/sdk-cpp.md).
#pragma once

#include "wsclient/client.h"
#include "wsclient/codes.h"
#include "wsclient/types.h"
