{
  "targets": [
    {
      "target_name": "scm_native",
      "sources": [
        "csrc/addon.c",
        "csrc/pool.c",
        "csrc/matmul.c",
        "csrc/gemm_avx512.c",
        "csrc/conv.c",
        "csrc/elementwise.c",
        "csrc/reduce.c",
        "csrc/layout.c",
        "csrc/avgpool.c",
        "csrc/fused.c",
        "csrc/scale_shift.c",
        "csrc/random.c",
        "csrc/adam.c"
      ],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"],
          "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=gnu11", "-fno-math-errno", "-fno-trapping-math"] }
        }],
        ["OS!='mac'", {
          "defines": ["SCM_OPENBLAS"],
          "include_dirs": ["/usr/include/openblas"],
          "libraries": ["-lopenblas", "-lpthread", "-lm"]
        }]
      ]
    }
  ]
}
