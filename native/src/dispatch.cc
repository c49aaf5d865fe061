#include "dispatch.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <string>
#include <vector>

#include "errors.h"
#include "handles.h"

namespace normality {
namespace {

enum class Kind {
  Tensor, TensorList, OptionalTensorList, Int, IntList, Float, FloatList, Bool, BoolList,
  Scalar, ScalarList, ScalarType, Layout, Device, MemoryFormat, String, Generator, Unsupported
};

struct ArgSpec {
  std::string name;
  Kind kind;
  bool optional;
  int64_t listSize;  // N of int[N]: a single number is repeated N times (PyTorch's stride=2 shorthand)
  c10::optional<c10::IValue> defaultValue;
};

struct ReturnSpec {
  bool isTensor;
  int writesToArg;  // index of the argument an in-place/out op returns, or -1
};

struct OpInfo {
  c10::OperatorHandle handle;
  std::string name;
  std::vector<ArgSpec> args;
  std::vector<ReturnSpec> returns;
};

std::vector<OpInfo>& ops() {
  static std::vector<OpInfo> table;
  return table;
}

Kind classifyElement(const c10::TypePtr& type) {
  switch (type->kind()) {
    case c10::TypeKind::TensorType: return Kind::Tensor;
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: return Kind::Int;
    case c10::TypeKind::FloatType: return Kind::Float;
    case c10::TypeKind::BoolType: return Kind::Bool;
    case c10::TypeKind::NumberType: return Kind::Scalar;
    case c10::TypeKind::ScalarTypeType: return Kind::ScalarType;
    case c10::TypeKind::LayoutType: return Kind::Layout;
    case c10::TypeKind::DeviceObjType: return Kind::Device;
    case c10::TypeKind::MemoryFormatType: return Kind::MemoryFormat;
    case c10::TypeKind::StringType: return Kind::String;
    case c10::TypeKind::GeneratorType: return Kind::Generator;
    default: return Kind::Unsupported;
  }
}

Kind classify(const c10::TypePtr& type) {
  if (type->kind() != c10::TypeKind::ListType) return classifyElement(type);
  const auto& element = type->castRaw<c10::ListType>()->getElementType();
  if (element->kind() == c10::TypeKind::OptionalType) {
    const auto& inner = element->castRaw<c10::OptionalType>()->getElementType();
    return inner->kind() == c10::TypeKind::TensorType ? Kind::OptionalTensorList : Kind::Unsupported;
  }
  switch (classifyElement(element)) {
    case Kind::Tensor: return Kind::TensorList;
    case Kind::Int: return Kind::IntList;
    case Kind::Float: return Kind::FloatList;
    case Kind::Bool: return Kind::BoolList;
    case Kind::Scalar: return Kind::ScalarList;
    default: return Kind::Unsupported;
  }
}

ArgSpec specOf(const c10::Argument& arg) {
  c10::TypePtr type = arg.real_type();
  bool optional = false;
  if (type->kind() == c10::TypeKind::OptionalType) {
    optional = true;
    type = type->castRaw<c10::OptionalType>()->getElementType();
  }
  int64_t n = arg.N() ? static_cast<int64_t>(*arg.N()) : 0;
  return ArgSpec{arg.name(), classify(type), optional, n, arg.default_value()};
}

// The argument index whose alias set a written-to return shares (in-place and out= ops), or -1.
int writtenArgument(const c10::FunctionSchema& schema, const c10::Argument& ret) {
  const auto& retAlias = ret.alias_info();
  if (!retAlias || !retAlias->isWrite()) return -1;
  const auto& args = schema.arguments();
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& argAlias = args[i].alias_info();
    if (argAlias && argAlias->isWrite() && argAlias->beforeSets() == retAlias->beforeSets()) return static_cast<int>(i);
  }
  return -1;
}

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::Tensor: return "Tensor";
    case Kind::TensorList: return "Tensor[]";
    case Kind::OptionalTensorList: return "Tensor?[]";
    case Kind::Int: return "int";
    case Kind::IntList: return "int[]";
    case Kind::Float: return "float";
    case Kind::FloatList: return "float[]";
    case Kind::Bool: return "bool";
    case Kind::BoolList: return "bool[]";
    case Kind::ScalarList: return "Scalar[]";
    case Kind::Scalar: return "Scalar";
    case Kind::ScalarType: return "ScalarType";
    case Kind::Layout: return "Layout";
    case Kind::Device: return "Device";
    case Kind::MemoryFormat: return "MemoryFormat";
    case Kind::String: return "str";
    case Kind::Generator: return "Generator";
    default: return "unsupported";
  }
}

// Words a received value as describe() in src/errors.ts does: `1.5 of type number`, `an array of length 3`.
std::string describeValue(const Napi::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsUndefined()) return "undefined";
  if (value.IsArray()) return "an array of length " + std::to_string(value.As<Napi::Array>().Length());
  if (value.IsString()) return "'" + value.As<Napi::String>().Utf8Value() + "' of type string";
  if (value.IsNumber()) return value.ToString().Utf8Value() + " of type number";  // JavaScript's own spelling: 1.5, 1e+21
  if (value.IsBoolean()) return std::string(value.As<Napi::Boolean>().Value() ? "true" : "false") + " of type boolean";
  if (value.IsBigInt()) return value.ToString().Utf8Value() + " of type bigint";
  return "an object";
}

[[noreturn]] void badArgument(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const char* expected,
                              const Napi::Value& value) {
  Napi::TypeError error = Napi::TypeError::New(
      env, op.name + ": expected " + expected + " for argument '" + spec.name + "' but received " + describeValue(value));
  error.Set("code", Napi::String::New(env, "INVALID_ARGUMENT"));
  throw error;
}

int64_t toInt(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  if (!value.IsNumber()) badArgument(env, op, spec, "an integer", value);
  double d = value.As<Napi::Number>().DoubleValue();
  auto i = static_cast<int64_t>(d);
  if (static_cast<double>(i) != d) badArgument(env, op, spec, "an integer", value);
  return i;
}

double toFloat(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  if (!value.IsNumber()) badArgument(env, op, spec, "a number", value);
  return value.As<Napi::Number>().DoubleValue();
}

bool toBool(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  if (!value.IsBoolean()) badArgument(env, op, spec, "a boolean", value);
  return value.As<Napi::Boolean>().Value();
}

const at::Tensor& toTensor(Napi::Env env, const Napi::Value& value) {
  return handles().get(env, idFromValue(env, value, "a Tensor argument"));
}

c10::Scalar toScalar(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  if (value.IsBoolean()) return c10::Scalar(value.As<Napi::Boolean>().Value());
  double d = toFloat(env, op, spec, value);
  // Like Python: an integral number is an int Scalar (keeps integer tensors integral), else a float.
  auto i = static_cast<int64_t>(d);
  if (static_cast<double>(i) == d && d > -9.0e15 && d < 9.0e15) return c10::Scalar(i);
  return c10::Scalar(d);
}

c10::ScalarType toScalarType(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  int64_t code = toInt(env, op, spec, value);
  if (code < 0 || code >= static_cast<int64_t>(c10::ScalarType::NumOptions)) badArgument(env, op, spec, "a dtype code", value);
  return static_cast<c10::ScalarType>(code);
}

template <typename T, typename F>
std::vector<T> toVector(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value, F convert) {
  if (!value.IsArray()) {
    // PyTorch's shorthand: stride=2 means [2, 2] for an int[2] argument.
    if (value.IsNumber() || value.IsBoolean()) return std::vector<T>(spec.listSize > 0 ? spec.listSize : 1, convert(value));
    badArgument(env, op, spec, "an array", value);
  }
  auto array = value.As<Napi::Array>();
  std::vector<T> out;
  out.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) out.push_back(convert(array.Get(i)));
  return out;
}

c10::IValue toIValue(Napi::Env env, const OpInfo& op, const ArgSpec& spec, const Napi::Value& value) {
  if (value.IsUndefined()) {
    if (spec.defaultValue) return *spec.defaultValue;
    if (spec.optional) return c10::IValue();
    badArgument(env, op, spec, kindName(spec.kind), value);
  }
  if (value.IsNull()) {
    if (spec.optional) return c10::IValue();
    badArgument(env, op, spec, kindName(spec.kind), value);
  }
  switch (spec.kind) {
    case Kind::Tensor: return toTensor(env, value);
    case Kind::TensorList:
      return toVector<at::Tensor>(env, op, spec, value, [&](const Napi::Value& v) { return toTensor(env, v); });
    case Kind::OptionalTensorList: {
      c10::List<c10::optional<at::Tensor>> list;
      for (auto& t : toVector<c10::optional<at::Tensor>>(env, op, spec, value, [&](const Napi::Value& v) {
             return v.IsNull() || v.IsUndefined() ? c10::optional<at::Tensor>() : c10::optional<at::Tensor>(toTensor(env, v));
           })) {
        list.push_back(std::move(t));
      }
      return list;
    }
    case Kind::Int: return toInt(env, op, spec, value);
    case Kind::IntList:
      return toVector<int64_t>(env, op, spec, value, [&](const Napi::Value& v) { return toInt(env, op, spec, v); });
    case Kind::Float: return toFloat(env, op, spec, value);
    case Kind::FloatList:
      return toVector<double>(env, op, spec, value, [&](const Napi::Value& v) { return toFloat(env, op, spec, v); });
    case Kind::Bool: return toBool(env, op, spec, value);
    case Kind::BoolList: {
      c10::List<bool> list;
      for (bool b : toVector<bool>(env, op, spec, value, [&](const Napi::Value& v) { return toBool(env, op, spec, v); })) list.push_back(b);
      return list;
    }
    case Kind::Scalar: return toScalar(env, op, spec, value);
    case Kind::ScalarList: {
      c10::impl::GenericList list(c10::NumberType::get());
      for (auto& scalar : toVector<c10::Scalar>(env, op, spec, value, [&](const Napi::Value& v) { return toScalar(env, op, spec, v); })) {
        list.push_back(c10::IValue(scalar));
      }
      return list;
    }
    case Kind::ScalarType: return toScalarType(env, op, spec, value);
    case Kind::Layout: return static_cast<c10::Layout>(toInt(env, op, spec, value));
    case Kind::MemoryFormat: return static_cast<c10::MemoryFormat>(toInt(env, op, spec, value));
    case Kind::Device:
      if (!value.IsString()) badArgument(env, op, spec, "a device string such as 'cpu' or 'cuda:0'", value);
      return c10::Device(value.As<Napi::String>().Utf8Value());
    case Kind::String:
      if (!value.IsString()) badArgument(env, op, spec, "a string", value);
      return value.As<Napi::String>().Utf8Value();
    case Kind::Generator: badArgument(env, op, spec, "null (explicit generators are not supported)", value);
    default: badArgument(env, op, spec, "nothing (this argument type is not supported from JavaScript)", value);
  }
}

}  // namespace

Napi::Value fromIValue(Napi::Env env, const c10::IValue& value) {
  if (value.isNone()) return env.Null();
  if (value.isTensor()) {
    const auto& t = value.toTensor();
    if (!t.defined()) return env.Null();
    return Napi::Number::New(env, handles().add(t));
  }
  if (value.isInt()) return Napi::Number::New(env, static_cast<double>(value.toInt()));
  if (value.isDouble()) return Napi::Number::New(env, value.toDouble());
  if (value.isBool()) return Napi::Boolean::New(env, value.toBool());
  if (value.isString()) return Napi::String::New(env, value.toStringRef());
  if (value.isScalar()) {
    auto s = value.toScalar();
    if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
    return Napi::Number::New(env, s.toDouble());
  }
  if (value.isList()) {
    auto list = value.toListRef();
    auto out = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); ++i) out.Set(static_cast<uint32_t>(i), fromIValue(env, list[i]));
    return out;
  }
  if (value.isTuple()) {
    const auto& elements = value.toTupleRef().elements();
    auto out = Napi::Array::New(env, elements.size());
    for (size_t i = 0; i < elements.size(); ++i) out.Set(static_cast<uint32_t>(i), fromIValue(env, elements[i]));
    return out;
  }
  if (value.isGenericDict()) {
    // A Map keeps the insertion order of a PyTorch state dict and allows non-string keys.
    auto map = env.Global().Get("Map").As<Napi::Function>().New({});
    auto set = map.Get("set").As<Napi::Function>();
    for (const auto& entry : value.toGenericDict()) set.Call(map, {fromIValue(env, entry.key()), fromIValue(env, entry.value())});
    return map;
  }
  if (value.isDevice()) return Napi::String::New(env, value.toDevice().str());
  throw Napi::Error::New(env, std::string("cannot convert a libtorch value of type ") + value.tagKind() + " to JavaScript");
}

Napi::Value LookupOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  std::string overload = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!handle) {
    Napi::Error error = Napi::Error::New(env, "no ATen op named " + name + (overload.empty() ? "" : "." + overload) +
                                                  " in this libtorch build");
    error.Set("code", Napi::String::New(env, "NATIVE"));
    throw error;
  }
  const auto& schema = handle->schema();
  OpInfo op{*handle, name + (overload.empty() ? "" : "." + overload), {}, {}};
  auto args = Napi::Array::New(env);
  for (const auto& arg : schema.arguments()) {
    op.args.push_back(specOf(arg));
    auto described = Napi::Object::New(env);
    described.Set("name", arg.name());
    described.Set("type", kindName(op.args.back().kind));
    described.Set("optional", op.args.back().optional);
    described.Set("hasDefault", static_cast<bool>(op.args.back().defaultValue));
    args.Set(args.Length(), described);
  }
  for (const auto& ret : schema.returns()) {
    op.returns.push_back(ReturnSpec{ret.type()->kind() == c10::TypeKind::TensorType, writtenArgument(schema, ret)});
  }
  ops().push_back(std::move(op));
  std::ostringstream text;
  text << schema;
  auto result = Napi::Object::New(env);
  result.Set("id", static_cast<double>(ops().size() - 1));
  result.Set("schema", text.str());
  result.Set("args", args);
  result.Set("returns", static_cast<double>(schema.returns().size()));
  return result;
}

// The tensors among an op's arguments, for error messages (only computed when something failed).
std::vector<at::Tensor> tensorArguments(Napi::Env env, const OpInfo& op, const std::vector<Napi::Value>& args) {
  std::vector<at::Tensor> found;
  auto add = [&](const Napi::Value& v) {
    if (v.IsNumber() && handles().isLive(v.As<Napi::Number>().Uint32Value())) found.push_back(handles().get(env, v.As<Napi::Number>().Uint32Value()));
  };
  for (size_t i = 0; i < args.size() && i < op.args.size(); ++i) {
    Kind kind = op.args[i].kind;
    if (kind == Kind::Tensor) add(args[i]);
    if ((kind == Kind::TensorList || kind == Kind::OptionalTensorList) && args[i].IsArray()) {
      auto list = args[i].As<Napi::Array>();
      for (uint32_t j = 0; j < list.Length(); ++j) add(list.Get(j));
    }
  }
  return found;
}

// (id, gradEnabled, kwargs | undefined, ...args) -> result. Arguments come as call arguments rather than an
// array: reading info[i] is much cheaper than reading array elements through Node-API.
Napi::Value CallOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t id = info[0].As<Napi::Number>().Uint32Value();
  if (id >= ops().size()) throw Napi::Error::New(env, "unknown op id " + std::to_string(id));
  const OpInfo& op = ops()[id];
  bool gradEnabled = info[1].As<Napi::Boolean>().Value();
  bool hasKwargs = info[2].IsObject();
  Napi::Object kwargs = hasKwargs ? info[2].As<Napi::Object>() : Napi::Object();
  constexpr size_t kFirstArg = 3;
  size_t given = info.Length() > kFirstArg ? info.Length() - kFirstArg : 0;
  if (given > op.args.size()) {
    Napi::TypeError error = Napi::TypeError::New(env, op.name + ": expected at most " + std::to_string(op.args.size()) +
                                                          " arguments but received " + std::to_string(given));
    error.Set("code", Napi::String::New(env, "INVALID_ARGUMENT"));
    throw error;
  }
  // Reused between calls: no allocation on the hot path.
  static thread_local std::vector<Napi::Value> jsArgs;
  static thread_local torch::jit::Stack stack;
  jsArgs.clear();
  stack.clear();
  for (size_t i = 0; i < op.args.size(); ++i) {
    Napi::Value value = i < given ? info[kFirstArg + i] : env.Undefined();
    if (value.IsUndefined() && hasKwargs && kwargs.Has(op.args[i].name)) value = kwargs.Get(op.args[i].name);
    jsArgs.push_back(value);
    stack.push_back(toIValue(env, op, op.args[i], value));
  }
  try {
    at::AutoGradMode gradMode(gradEnabled);
    op.handle.callBoxed(&stack);
  } catch (const c10::Error& e) {
    stack.clear();
    throwNative(env, op.name, e.what_without_backtrace(), tensorArguments(env, op, jsArgs));
  } catch (const std::exception& e) {
    stack.clear();
    throwNative(env, op.name, e.what(), tensorArguments(env, op, jsArgs));
  }
  auto convert = [&](size_t r) -> Napi::Value {
    const ReturnSpec& ret = op.returns[r];
    if (ret.writesToArg >= 0) return jsArgs[ret.writesToArg];  // in-place: hand back the caller's own handle
    return fromIValue(env, stack[r]);
  };
  Napi::Value result = env.Undefined();
  if (op.returns.size() == 1) {
    result = convert(0);
  } else if (op.returns.size() > 1) {
    auto out = Napi::Array::New(env, op.returns.size());
    for (size_t r = 0; r < op.returns.size(); ++r) out.Set(static_cast<uint32_t>(r), convert(r));
    result = out;
  }
  stack.clear();  // drop our references to the results now, not at the next call
  return result;
}

}  // namespace normality
