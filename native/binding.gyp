{
  "targets": [
    {
      "target_name": "normality",
      "sources": [
        "src/addon.cc",
        "src/dispatch.cc",
        "src/errors.cc",
        "src/handles.cc",
        "src/settings.cc",
        "src/tensors.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<@(torch_include_dirs)"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<@(torch_defines)"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=<(torch_cxx_std)", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": ["<@(torch_libraries)"]
    }
  ]
}
