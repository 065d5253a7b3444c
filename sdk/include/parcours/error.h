// Errors as values: the core never throws (it is built with -fno-exceptions), it answers Error.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace parcours {

enum class ErrorCode {
#define PARCOURS_ERROR(name, id, description) name,
#include "parcours/errors.def"
#undef PARCOURS_ERROR
};

// The stable, greppable id of a code, e.g. "event.invalid_name".
const char* ErrorId(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // Starts with "[parcours.<id>]" so logs can be grepped.
  std::string path;     // Dotted path of the offending field, "" when not about a field.
};

Error MakeError(ErrorCode code, const std::string& detail, std::string path = "");

// A value or an Error. Small on purpose: std::variant, no exceptions, no RTTI.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Error error) : data_(std::move(error)) {}  // NOLINT
  bool ok() const { return data_.index() == 0; }
  const T& value() const { return *std::get_if<0>(&data_); }
  T& value() { return *std::get_if<0>(&data_); }
  const Error& error() const { return *std::get_if<1>(&data_); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace parcours
