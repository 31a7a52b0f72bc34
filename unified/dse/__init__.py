"""`unified dse`: points, the runner that measures them, the report, Optuna's search.

    cli          the command: options, the sweep, the printed fronts
    points       Point (one design choice) and Result (its measured figures)
    runner       measure one point (cached by content), a pool of them, or Ray tasks
    optuna_search  NSGA-II over the axes instead of the full sweep
    report, pareto   CSV, fronts, the Pareto plot
"""
