// The generic entry point: look an ATen op up once by name and overload, then call it through the
// dispatcher (autograd included) with JavaScript arguments converted according to the op's schema.
#pragma once
#include <ATen/core/ivalue.h>
#include <napi.h>

namespace normality {

Napi::Value LookupOp(const Napi::CallbackInfo& info);  // (name, overload) -> { id, schema, args }
Napi::Value CallOp(const Napi::CallbackInfo& info);    // (id, args[], kwargs?, gradEnabled) -> result
// IValue -> JavaScript for any value libtorch can produce (tensors become handle ids).
Napi::Value fromIValue(Napi::Env env, const c10::IValue& value);

}  // namespace normality
