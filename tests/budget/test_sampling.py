"""The sampling engine: the same result for a seed whatever the number of workers."""

import qecsim


def test_results_do_not_depend_on_the_number_of_workers():
    common = dict(distances=(3,), max_errors=200, seed=5, progress=False)
    one = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), num_workers=1, **common)
    two = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), num_workers=2, **common)
    assert one.num_shots == two.num_shots and one.num_errors == two.num_errors
    assert one.components == two.components
