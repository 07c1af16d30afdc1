"""Decoders: the registry of sinter decoders by name and the decoder benchmark.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

- :mod:`qecsim.decoding.registry` (also importable as :mod:`qecsim.decoders`): decoders by
  canonical name or alias, install hints, user registration.
- :mod:`qecsim.decoding.untagged`: tag stripping (the untagged DEM, and the wrapper every
  registry decoder comes in).
- :mod:`qecsim.decoding.belief_matching`: belief matching with a compiled decoder.
- :mod:`qecsim.decoding.benchmark`: :func:`benchmark_decoders` on shared syndromes.
- :mod:`qecsim.decoding.dem`: the detector error model sinter hands a decoder.
"""

from qecsim.decoding.benchmark import DecoderBenchmark, DecoderBenchmarkRow, benchmark_decoders

__all__ = ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders"]
