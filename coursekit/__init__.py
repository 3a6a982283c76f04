"""Student-side helpers for the course "Optimization in Neural Networks".

Everything a lesson needs around the graded functions and nothing that answers them:
data loaders, a small fully connected network, a mini-batch training loop, gradient
checking, 2-D loss surfaces and plots. Update rules, batch norm and softmax plug in as
functions, so the notebooks run the student's own code; `earlier` loads the student's functions
of earlier lessons from their own notebooks. This package never imports `solutions`, except
`earlier` under the instructors' switch COURSE_EARLIER=solutions (tests/test_coursekit.py proves it).
"""
