from archdraft.cli import main

main()
