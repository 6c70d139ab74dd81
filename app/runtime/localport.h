#pragma once

// Ports on 127.0.0.1.
class LocalPort
{
public:
    // A port nothing listens on right now (the kernel's choice), or 0 when none could be had.
    static int pickFree();
};
