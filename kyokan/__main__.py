from kyokan.cli import main

main()
