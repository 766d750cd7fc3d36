"""The ``newscrawl`` commands, one module per group; crawler/cli.py only parses arguments.

Each ``cmd_*`` function takes the parsed arguments and an output stream and returns the
exit code; operator errors raise ``BadInput`` (crawler/commands/common.py), which the
command line prints as one line with exit code 2. Tests call these functions directly.
"""
