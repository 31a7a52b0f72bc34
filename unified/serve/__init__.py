"""`unified serve`, the local web view: `command` (the subcommand), `app` (the Flask
application, `create_app`), `jobs` (compile and run, in the pool's processes), `pool` (the
bounded process pool), `params` (request checks), `workspace` (job folders)."""
