"""`python -m streams.devtools` runs the development tools' command line."""

from streams.devtools.state_dict import main

main()
