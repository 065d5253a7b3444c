// Stable ids and messages for ErrorCode, generated from errors.def.
#include "parcours/error.h"

namespace parcours {

const char* ErrorId(ErrorCode code) {
  switch (code) {
#define PARCOURS_ERROR(name, id, description) \
  case ErrorCode::name:                       \
    return id;
#include "parcours/errors.def"
#undef PARCOURS_ERROR
  }
  return "unknown";
}

Error MakeError(ErrorCode code, const std::string& detail, std::string path) {
  return Error{code, std::string("[parcours.") + ErrorId(code) + "] " + detail, std::move(path)};
}

}  // namespace parcours
