// Creating tensors from JavaScript memory, reading them back, inspecting and freeing them.
#include <ATen/ATen.h>
#include <napi.h>

#include <algorithm>
#include <cstring>

#include "errors.h"
#include "handles.h"

namespace normality {
namespace {

napi_typedarray_type typedArrayTypeOf(c10::ScalarType dtype) {
  switch (dtype) {
    case c10::ScalarType::Float: return napi_float32_array;
    case c10::ScalarType::Double: return napi_float64_array;
    case c10::ScalarType::Long: return napi_bigint64_array;
    case c10::ScalarType::Int: return napi_int32_array;
    case c10::ScalarType::Short: return napi_int16_array;
    case c10::ScalarType::Char: return napi_int8_array;
    case c10::ScalarType::Byte:
    case c10::ScalarType::Bool: return napi_uint8_array;
    case c10::ScalarType::Half:
    case c10::ScalarType::BFloat16: return napi_uint16_array;  // raw 16-bit data
    default: throw std::runtime_error(std::string("dtype ") + c10::toString(dtype) + " cannot be read into a TypedArray");
  }
}

std::vector<int64_t> shapeFrom(const Napi::Array& array) {
  std::vector<int64_t> shape(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) shape[i] = array.Get(i).As<Napi::Number>().Int64Value();
  return shape;
}

at::Tensor& tensorArg(const Napi::CallbackInfo& info, size_t index) {
  return handles().getMutable(info.Env(), idFromValue(info.Env(), info[index], "a tensor"));
}

}  // namespace

// (typedArray, shape[], dtypeCode, device?) -> id. Copies, so JavaScript may reuse its buffer.
Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto array = info[0].As<Napi::TypedArray>();
  auto shape = shapeFrom(info[1].As<Napi::Array>());
  auto dtype = static_cast<c10::ScalarType>(info[2].As<Napi::Number>().Int32Value());
  try {
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    size_t bytes = t.numel() * t.element_size();
    if (array.ByteLength() != bytes) {
      throw std::runtime_error("buffer holds " + std::to_string(array.ByteLength()) + " bytes but the shape and dtype need " +
                               std::to_string(bytes));
    }
    auto* source = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    if (bytes) std::memcpy(t.data_ptr(), source, bytes);
    if (info.Length() > 3 && info[3].IsString()) {
      auto device = c10::Device(info[3].As<Napi::String>().Utf8Value());
      if (!device.is_cpu()) t = t.to(device);
    }
    return Napi::Number::New(env, handles().add(std::move(t)));
  } catch (const c10::Error& e) {
    throwNative(env, "tensor creation", e.what_without_backtrace(), {});
  } catch (const std::exception& e) {
    throwNative(env, "tensor creation", e.what(), {});
  }
}

// (id, copy) -> TypedArray. copy=false returns a zero-copy view of a contiguous CPU tensor's memory
// that keeps the storage alive by itself (freeing the handle does not invalidate the view).
Napi::Value ToBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& tensor = tensorArg(info, 0);
  bool copy = info.Length() < 2 || info[1].As<Napi::Boolean>().Value();
  try {
    napi_typedarray_type type = typedArrayTypeOf(tensor.scalar_type());
    at::Tensor cpu = tensor.detach().to(at::kCPU).contiguous();
    size_t bytes = cpu.numel() * cpu.element_size();
    Napi::ArrayBuffer buffer;
    if (copy || bytes == 0) {
      buffer = Napi::ArrayBuffer::New(env, bytes);
      if (bytes) std::memcpy(buffer.Data(), cpu.data_ptr(), bytes);
    } else {
      auto* keepAlive = new at::Tensor(cpu);
      buffer = Napi::ArrayBuffer::New(env, cpu.data_ptr(), bytes, [](Napi::Env, void*, at::Tensor* t) { delete t; }, keepAlive);
    }
    napi_value result;
    napi_status status = napi_create_typedarray(env, type, cpu.numel(), buffer, 0, &result);
    NAPI_THROW_IF_FAILED(env, status, Napi::Value());
    return Napi::Value(env, result);
  } catch (const c10::Error& e) {
    throwNative(env, "reading tensor data", e.what_without_backtrace(), {tensor});
  } catch (const std::exception& e) {
    throwNative(env, "reading tensor data", e.what(), {tensor});
  }
}

namespace {
// Writes as many sizes as fit: [2] always holds ndim, so a caller whose array was too short for a tensor
// of many dimensions can ask again with a longer one (and free() never fails for want of room).
void writeDescription(Napi::Env env, const at::Tensor& t, const Napi::Value& target) {
  auto out = target.As<Napi::Float64Array>();
  auto sizes = t.sizes();
  if (out.ElementLength() < 3) throw Napi::RangeError::New(env, "describe: the output array needs room for at least 3 numbers");
  double* data = out.Data();
  data[0] = static_cast<int>(t.scalar_type());
  data[1] = t.device().is_cuda() ? t.device().index() : -1;
  data[2] = static_cast<double>(sizes.size());
  size_t room = std::min(sizes.size(), out.ElementLength() - 3);
  for (size_t i = 0; i < room; ++i) data[i + 3] = static_cast<double>(sizes[i]);
}
}  // namespace

// (id, Float64Array) -> writes [dtypeCode, cudaIndex or -1 for the CPU, ndim, ...shape] into the caller's
// reusable array: no JavaScript object is created, which keeps the Tensor class's metadata cheap.
Napi::Value Describe(const Napi::CallbackInfo& info) {
  writeDescription(info.Env(), tensorArg(info, 0), info[1]);
  return info.Env().Undefined();
}

// (id, Float64Array?) -> frees; with an array, first describes the tensor into it (one call instead of two,
// so that a later use-after-free error can still name the shape and dtype).
Napi::Value Free(const Napi::CallbackInfo& info) {
  uint32_t id = idFromValue(info.Env(), info[0], "a tensor");
  if (info.Length() > 1 && info[1].IsTypedArray() && handles().isLive(id)) writeDescription(info.Env(), handles().get(info.Env(), id), info[1]);
  handles().free(id);
  return info.Env().Undefined();
}

Napi::Value LiveCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(handles().live()));
}

// (id) -> a new handle to the same tensor (shares storage and autograd history).
Napi::Value Share(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), handles().add(tensorArg(info, 0)));
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensorArg(info, 0).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  at::Tensor& t = tensorArg(info, 0);
  try {
    t.set_requires_grad(info[1].As<Napi::Boolean>().Value());
  } catch (const c10::Error& e) {
    throwNative(info.Env(), "requiresGrad", e.what_without_backtrace(), {t});
  }
  return info.Env().Undefined();
}

Napi::Value IsLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensorArg(info, 0).is_leaf());
}

// (id) -> a new handle to the gradient, or null.
Napi::Value Grad(const Napi::CallbackInfo& info) {
  const at::Tensor& grad = tensorArg(info, 0).grad();
  if (!grad.defined()) return info.Env().Null();
  return Napi::Number::New(info.Env(), handles().add(grad));
}

// (id, gradId | null): null clears the gradient (PyTorch's zero_grad(set_to_none=True)).
Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  at::Tensor& t = tensorArg(info, 0);
  t.mutable_grad() = info[1].IsNull() || info[1].IsUndefined() ? at::Tensor() : tensorArg(info, 1);
  return info.Env().Undefined();
}

Napi::Value Backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  at::Tensor& t = tensorArg(info, 0);
  at::Tensor gradient = info[1].IsNull() || info[1].IsUndefined() ? at::Tensor() : tensorArg(info, 1);
  bool retainGraph = info.Length() > 2 && info[2].As<Napi::Boolean>().Value();
  try {
    t.backward(gradient, retainGraph, false);
  } catch (const c10::Error& e) {
    throwNative(env, "backward", e.what_without_backtrace(), {t});
  } catch (const std::exception& e) {
    throwNative(env, "backward", e.what(), {t});
  }
  return env.Undefined();
}

}  // namespace normality
