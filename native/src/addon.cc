// The whole native surface of Normality: a handful of generic functions. Per-op knowledge lives in TypeScript.
#include <napi.h>

#include "dispatch.h"

namespace normality {
Napi::Value FromBuffer(const Napi::CallbackInfo&);
Napi::Value ToBuffer(const Napi::CallbackInfo&);
Napi::Value Describe(const Napi::CallbackInfo&);
Napi::Value Free(const Napi::CallbackInfo&);
Napi::Value LiveCount(const Napi::CallbackInfo&);
Napi::Value Share(const Napi::CallbackInfo&);
Napi::Value RequiresGrad(const Napi::CallbackInfo&);
Napi::Value SetRequiresGrad(const Napi::CallbackInfo&);
Napi::Value IsLeaf(const Napi::CallbackInfo&);
Napi::Value Grad(const Napi::CallbackInfo&);
Napi::Value SetGrad(const Napi::CallbackInfo&);
Napi::Value Backward(const Napi::CallbackInfo&);
Napi::Value ManualSeed(const Napi::CallbackInfo&);
Napi::Value SetNumThreads(const Napi::CallbackInfo&);
Napi::Value GetNumThreads(const Napi::CallbackInfo&);
Napi::Value CudaDeviceCount(const Napi::CallbackInfo&);
Napi::Value SetCudaFlags(const Napi::CallbackInfo&);
Napi::Value Version(const Napi::CallbackInfo&);
Napi::Value SetFlushDenormal(const Napi::CallbackInfo&);
Napi::Value SetAutocast(const Napi::CallbackInfo&);

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("lookupOp", Napi::Function::New(env, LookupOp));
  exports.Set("callOp", Napi::Function::New(env, CallOp));
  exports.Set("fromBuffer", Napi::Function::New(env, FromBuffer));
  exports.Set("toBuffer", Napi::Function::New(env, ToBuffer));
  exports.Set("describe", Napi::Function::New(env, Describe));
  exports.Set("free", Napi::Function::New(env, Free));
  exports.Set("liveCount", Napi::Function::New(env, LiveCount));
  exports.Set("share", Napi::Function::New(env, Share));
  exports.Set("requiresGrad", Napi::Function::New(env, RequiresGrad));
  exports.Set("setRequiresGrad", Napi::Function::New(env, SetRequiresGrad));
  exports.Set("isLeaf", Napi::Function::New(env, IsLeaf));
  exports.Set("grad", Napi::Function::New(env, Grad));
  exports.Set("setGrad", Napi::Function::New(env, SetGrad));
  exports.Set("backward", Napi::Function::New(env, Backward));
  exports.Set("manualSeed", Napi::Function::New(env, ManualSeed));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("cudaDeviceCount", Napi::Function::New(env, CudaDeviceCount));
  exports.Set("setCudaFlags", Napi::Function::New(env, SetCudaFlags));
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("setFlushDenormal", Napi::Function::New(env, SetFlushDenormal));
  exports.Set("setAutocast", Napi::Function::New(env, SetAutocast));
  return exports;
}

}  // namespace normality

static Napi::Object InitNormality(Napi::Env env, Napi::Object exports) { return normality::Init(env, exports); }

NODE_API_MODULE(normality, InitNormality)
