from zwgk.cli import run

if __name__ == "__main__":  # worker processes import the main module (ingestion.parallel)
    run()
