from jiaarchive.cli import main

main()
