from einvoice_gov.cli import main

main()
