#!/usr/bin/python3
# The tutorial's MNIST softmax regression as written (torchvision MNIST + ToTensor,
# DataLoader batch 100 shuffle drop_last, nn.Linear(784, 10), CrossEntropyLoss, SGD lr 0.1,
# 15 epochs, then accuracy on the raw test pixels), plus timing lines for
# bench/aggregate.py. Changes: plt.imshow/plt.show dropped; download=False (run-bench.sh
# lays the IDX files out as torchvision expects, nothing is fetched); two optional
# environment variables: EPOCHS (default 15) and THREADS (torch.set_num_threads).
# Run it from a folder holding MNIST_data/MNIST/raw/*-ubyte.
import os
import time

T_START = time.perf_counter()

import torch
import torchvision.datasets as dsets
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
import torch.nn as nn
import random

T_IMPORTED = time.perf_counter()
if os.environ.get("THREADS"):
    torch.set_num_threads(int(os.environ["THREADS"]))

USE_CUDA = torch.cuda.is_available()
device = torch.device("cuda" if USE_CUDA else "cpu")
print("device:", device)

random.seed(777)
torch.manual_seed(777)
if device == 'cuda':
    torch.cuda.manual_seed_all(777)

training_epochs = int(os.environ.get("EPOCHS", "15"))
batch_size = 100

mnist_train = dsets.MNIST(root='MNIST_data/', train=True, transform=transforms.ToTensor(), download=False)
mnist_test = dsets.MNIST(root='MNIST_data/', train=False, transform=transforms.ToTensor(), download=False)

data_loader = DataLoader(dataset=mnist_train, batch_size=batch_size, shuffle=True, drop_last=True)

linear = nn.Linear(784, 10, bias=True).to(device)
criterion = nn.CrossEntropyLoss().to(device)
optimizer = torch.optim.SGD(linear.parameters(), lr=0.1)

T_READY = time.perf_counter()
epoch_times = []
epoch_cpu = []  # process CPU seconds per epoch (all threads)
for epoch in range(training_epochs):
    t0 = time.perf_counter()
    c0 = time.process_time()
    avg_cost = 0
    total_batch = len(data_loader)

    for X, Y in data_loader:
        X = X.view(-1, 28 * 28).to(device)
        Y = Y.to(device)

        optimizer.zero_grad()
        hypothesis = linear(X)
        cost = criterion(hypothesis, Y)
        cost.backward()
        optimizer.step()

        avg_cost += cost / total_batch

    print('Epoch:', '%04d' % (epoch + 1), 'cost =', '{:.9f}'.format(avg_cost))
    epoch_times.append(time.perf_counter() - t0)
    epoch_cpu.append(time.process_time() - c0)
    print('TIME epoch %d %.4f' % (epoch + 1, epoch_times[-1]))
    print('TIME epoch_cpu %d %.4f' % (epoch + 1, epoch_cpu[-1]), flush=True)

print('Learning finished')
T_TRAINED = time.perf_counter()

with torch.no_grad():
    X_test = mnist_test.test_data.view(-1, 28 * 28).float().to(device)
    Y_test = mnist_test.test_labels.to(device)

    prediction = linear(X_test)
    correct_prediction = torch.argmax(prediction, 1) == Y_test
    accuracy = correct_prediction.float().mean()
    print('Accuracy:', accuracy.item())

    r = random.randint(0, len(mnist_test) - 1)
    X_single_data = mnist_test.test_data[r:r + 1].view(-1, 28 * 28).float().to(device)
    Y_single_data = mnist_test.test_labels[r:r + 1].to(device)
    print('Label: ', Y_single_data.item())
    single_prediction = linear(X_single_data)
    print('Prediction: ', torch.argmax(single_prediction, 1).item())
    acc01 = (torch.argmax(linear(X_test / 255.0), 1) == Y_test).float().mean().item()

T_END = time.perf_counter()
med = sorted(epoch_times)[len(epoch_times) // 2] if epoch_times else 0.0
cmed = sorted(epoch_cpu)[len(epoch_cpu) // 2] if epoch_cpu else 0.0
print('TIME import %.4f' % (T_IMPORTED - T_START))
print('TIME setup %.4f' % (T_READY - T_IMPORTED))
print('TIME train %.4f' % (T_TRAINED - T_READY))
print('TIME eval %.4f' % (T_END - T_TRAINED))
print('TIME total %.4f' % (T_END - T_START))
print('RESULT workload=tutorial epochs=%d epoch_median=%.4f epoch_cpu_median=%.4f acc=%.4f acc_div255=%.4f '
      'final_cost=%.9f threads=%d'
      % (training_epochs, med, cmed, accuracy.item(), acc01, float(avg_cost) if epoch_times else 0.0,
         torch.get_num_threads()))
