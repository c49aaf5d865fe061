#include "errors.h"
#include <sstream>

namespace normality {

std::string describeTensor(const at::Tensor& t) {
  if (!t.defined()) return "undefined tensor";
  std::ostringstream out;
  out << "Tensor[";
  auto sizes = t.sizes();
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
  out << "] " << c10::toString(t.scalar_type()) << " " << t.device().str();
  return out.str();
}

std::string firstLines(const std::string& message) {
  // libtorch appends "Exception raised from ... (most recent call first):" and a backtrace.
  auto cut = message.find("\nException raised from");
  std::string head = cut == std::string::npos ? message : message.substr(0, cut);
  while (!head.empty() && (head.back() == '\n' || head.back() == ' ')) head.pop_back();
  return head;
}

void throwNative(Napi::Env env, const std::string& where, const std::string& message,
                 const std::vector<at::Tensor>& inputs) {
  std::ostringstream out;
  out << where << " failed: " << firstLines(message);
  if (!inputs.empty()) {
    out << " (tensor arguments: ";
    for (size_t i = 0; i < inputs.size(); ++i) out << (i ? ", " : "") << describeTensor(inputs[i]);
    out << ")";
  }
  Napi::Error error = Napi::Error::New(env, out.str());
  error.Set("code", Napi::String::New(env, "NATIVE"));
  throw error;
}

}  // namespace normality
