from zwgk.cli import main

if __name__ == "__main__":  # worker processes import the main module (ingestion.parallel)
    main()
