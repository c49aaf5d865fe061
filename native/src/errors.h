// Turning libtorch failures into JavaScript errors that name the op and its tensor arguments.
#pragma once
#include <ATen/ATen.h>
#include <napi.h>
#include <string>
#include <vector>

namespace normality {

std::string describeTensor(const at::Tensor& t);
// The first line of a libtorch message, without the C++ backtrace that debug builds append.
std::string firstLines(const std::string& message);
[[noreturn]] void throwNative(Napi::Env env, const std::string& where, const std::string& message,
                              const std::vector<at::Tensor>& inputs);

}  // namespace normality
