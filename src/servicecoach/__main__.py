from servicecoach.cli import main

main()
