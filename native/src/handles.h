// The tensor table: every libtorch tensor that JavaScript can see lives here under a small integer id.
// JavaScript owns the id (a Tensor object) and frees it explicitly; nothing is freed by the GC.
#pragma once
#include <ATen/ATen.h>
#include <napi.h>
#include <cstdint>
#include <vector>

namespace normality {

class Handles {
 public:
  uint32_t add(at::Tensor tensor);
  // Throws a JavaScript error when the id was never issued or was freed.
  const at::Tensor& get(Napi::Env env, uint32_t id) const;
  at::Tensor& getMutable(Napi::Env env, uint32_t id);
  void free(uint32_t id);
  bool isLive(uint32_t id) const;
  size_t live() const { return live_; }

 private:
  std::vector<at::Tensor> tensors_;
  std::vector<uint32_t> freeIds_;
  size_t live_ = 0;
};

Handles& handles();
uint32_t idFromValue(Napi::Env env, const Napi::Value& value, const char* what);

}  // namespace normality
