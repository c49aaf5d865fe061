#include "handles.h"

namespace normality {

Handles& handles() {
  static Handles table;
  return table;
}

uint32_t Handles::add(at::Tensor tensor) {
  ++live_;
  if (!freeIds_.empty()) {
    uint32_t id = freeIds_.back();
    freeIds_.pop_back();
    tensors_[id] = std::move(tensor);
    return id;
  }
  tensors_.push_back(std::move(tensor));
  return static_cast<uint32_t>(tensors_.size() - 1);
}

bool Handles::isLive(uint32_t id) const { return id < tensors_.size() && tensors_[id].defined(); }

const at::Tensor& Handles::get(Napi::Env env, uint32_t id) const {
  if (!isLive(id)) {
    throw Napi::Error::New(env, "tensor handle " + std::to_string(id) + " is not live (it was freed or never created)");
  }
  return tensors_[id];
}

at::Tensor& Handles::getMutable(Napi::Env env, uint32_t id) {
  get(env, id);
  return tensors_[id];
}

void Handles::free(uint32_t id) {
  if (!isLive(id)) return;
  tensors_[id].reset();
  freeIds_.push_back(id);
  --live_;
}

uint32_t idFromValue(Napi::Env env, const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(env, std::string("expected a tensor handle for ") + what);
  }
  return value.As<Napi::Number>().Uint32Value();
}

}  // namespace normality
