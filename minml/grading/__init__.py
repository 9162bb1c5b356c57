"""Grading the course's exercises: stubs from minml's own code, graders run by pytest, scores.

How the parts fit (each module is one idea; read them in this order):

* :mod:`~minml.grading.regions`: the exercises are marked regions of minml's
  source (``# exercise NN.name`` ... ``# end exercise``), one function each;
* :mod:`~minml.grading.stubs`: the learner's stub of each, generated from the
  region (``minml exercises generate`` / ``check``);
* :mod:`~minml.grading.workspace`: where the exercises live, ``minml init DIR``;
* :mod:`~minml.grading.loading`: the implementation under test (learner,
  reference, stub or a planted mutant);
* :mod:`~minml.grading.timeout`: stopping an endless loop;
* :mod:`~minml.grading.expect`: the comparison graders use, with clear messages;
* :mod:`~minml.grading.plugin`: the pytest plugin graders run under;
* :mod:`~minml.grading.results`: one result per grader test;
* :mod:`~minml.grading.grade`: ``minml grade``, the score table;
* :mod:`~minml.grading.compare`: ``minml compare``, learner beside reference and peers.
"""

from minml.grading.expect import expect

__all__ = ["expect"]
