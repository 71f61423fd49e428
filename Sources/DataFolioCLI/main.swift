print("datafolio")
