from servicecoach.startup.launch import main

main()
