#!/usr/bin/env python
from peerwork.manage import main

if __name__ == "__main__":
    main()
