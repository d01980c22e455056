from policyq.cli import main

main()
