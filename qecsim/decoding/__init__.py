"""Decoders: the registry of sinter decoders by name and the decoder benchmark.

- :mod:`qecsim.decoding.registry` (also importable as :mod:`qecsim.decoders`): decoders by
  name, install hints, tag stripping, user registration.
- :mod:`qecsim.decoding.benchmark`: :func:`benchmark_decoders` on shared syndromes.
- :mod:`qecsim.decoding.dem`: the detector error model sinter hands a decoder.
"""

from qecsim.decoding.benchmark import DecoderBenchmark, DecoderBenchmarkRow, benchmark_decoders

__all__ = ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders"]
