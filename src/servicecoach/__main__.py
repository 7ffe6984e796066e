from servicecoach.launch import main

main()
