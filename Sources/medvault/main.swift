print("medvault")
