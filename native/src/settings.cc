// Process-wide settings: seeds, threads, CUDA, and libtorch's own unpickler for torch.save files.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <napi.h>
#include <torch/version.h>

#include "dispatch.h"
#include "errors.h"

namespace normality {

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  uint64_t seed = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  at::manual_seed(seed);  // seeds the CPU generator and, when present, every CUDA one
  return info.Env().Undefined();
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  int count = at::globalContext().hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0;
  return Napi::Number::New(info.Env(), count);
}

// (benchmarkCudnn, allowTF32): cuDNN autotuning and TF32 matmuls/convolutions.
Napi::Value SetCudaFlags(const Napi::CallbackInfo& info) {
  // Each argument is a boolean to set or undefined to leave libtorch's current value (its defaults are
  // PyTorch's: no autotuning, TF32 for cuDNN convolutions but not for cuBLAS matmuls).
  auto& context = at::globalContext();
  if (info[0].IsBoolean()) context.setBenchmarkCuDNN(info[0].As<Napi::Boolean>().Value());
  if (info[1].IsBoolean()) context.setAllowTF32CuBLAS(info[1].As<Napi::Boolean>().Value());
  if (info[2].IsBoolean()) context.setAllowTF32CuDNN(info[2].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

// Flush denormal floats to zero (PyTorch's torch.set_flush_denormal): tiny attention weights otherwise
// make the CPU's float units fall back to slow microcode. Returns whether the CPU supports it.
Napi::Value SetFlushDenormal(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::globalContext().setFlushDenormal(info[0].As<Napi::Boolean>().Value()));
}

// (enabled, deviceIsCuda, dtypeCode): mixed precision through libtorch's own autocast dispatch keys, so
// every op called through the dispatcher casts as PyTorch's torch.autocast does. Leaving it clears the
// cast cache. The state is thread-local like grad mode; the TypeScript side scopes it around a function.
Napi::Value SetAutocast(const Napi::CallbackInfo& info) {
  bool enabled = info[0].As<Napi::Boolean>().Value();
  bool cuda = info[1].As<Napi::Boolean>().Value();
  auto dtype = static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value());
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  auto device = cuda ? at::kCUDA : at::kCPU;
  at::autocast::set_autocast_dtype(device, dtype);
  at::autocast::set_autocast_enabled(device, enabled);
#else
  if (cuda) {
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
  } else {
    at::autocast::set_autocast_cpu_dtype(dtype);
    at::autocast::set_cpu_enabled(enabled);
  }
#endif
  if (!enabled) at::autocast::clear_cache();
  return info.Env().Undefined();
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                              std::to_string(TORCH_VERSION_PATCH));
}

}  // namespace normality
